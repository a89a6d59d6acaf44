"""SAE Playground: the router and the frame every page shares."""

import streamlit as st

from components.background_work import start_background_work
from components.presenter import finish_command, presenter_frame
from components.runtime_tuning import freeze_long_lived_objects, freeze_new_libraries
from components.site_map import HOME, PATH

freeze_long_lived_objects()
st.set_page_config(page_title="SAE Playground", page_icon="assets/favicon.png", layout="wide")

pages = {"Start": [st.Page(HOME.path, title=HOME.title, icon=HOME.icon, default=True)]}
for section, stops in PATH.items():
    pages[section] = [st.Page(stop.path, title=stop.title, icon=stop.icon) for stop in stops]
navigation = st.navigation(pages, position="sidebar")
st.sidebar.caption("SAE Playground — learn sparse autoencoders by doing them.")
presenter_frame(navigation.url_path)
navigation.run()
finish_command()
start_background_work()  # after the page: a server's first paint does not wait for it
freeze_new_libraries()  # a page's first run may have loaded scipy or torch: keep them out of every later collection
