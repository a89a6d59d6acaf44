import streamlit as st

st.write("up")
